"""What the demo city's residents proposed, and what the officers decided (app/demo/proposals.py loads it)."""

from dataclasses import dataclass

from app.proposals.models import ProposalStatus as S

NEIGHBOURS = [
    "Amira Haddad", "Tom Whitfield", "Priya Nair", "Jonas Berg", "Chloe Martin", "Kwame Mensah",
    "Lucía Romero", "Ben Carter", "Hannah Schultz", "Yusuf Demir", "Grace O'Neill", "Mateo Silva",
    "Sofia Rossi", "Daniel Kowalski", "Aisha Bello", "Liam Byrne", "Mei Chen", "Oskar Lind",
    "Fatima Zahra", "Noah Fischer", "Eva Novak", "Sam Patel", "Ines Duarte", "Ruth Adler",
]  # fmt: skip
ROSA = "resident@riverside.example"  # the demo resident's own proposals

Who = str | int  # an e-mail, or an index into NEIGHBOURS
Thread = tuple[Who, str, tuple[tuple[Who, str], ...]]


@dataclass(frozen=True)
class Idea:
    title: str
    summary: str
    description: str
    euros: int
    category: str
    author: Who
    scenes: tuple[str, ...] = ()  # pictures drawn by app/demo/pictures.py
    address: str = ""
    point: tuple[float, float] | None = None
    supporters: int = 0
    status: S = S.PUBLISHED
    decision: str = ""  # the officers' public reason, or the feasibility note when accepted
    official_euros: int = 0
    merged_into: str = ""  # the title of the proposal it was merged into
    comments: tuple[Thread, ...] = ()


RIVERSIDE_2027 = [
    Idea(
        title="Benches and shade along the river path",
        summary="Ten benches and four shade sails between Mill Bridge and Harbour Bridge.",
        description=(
            "The river path is busy all day, but there is **nowhere to sit** for almost two kilometres.\n\n"
            "- ten benches with arm rests, so older people can get up easily\n"
            "- four shade sails over the benches near the playground\n"
            "- two bins next to the benches\n\n"
            "The Riverside Walkers group will help choose the spots."
        ),
        euros=38_000,
        category="parks",
        author=0,
        scenes=("river", "park"),
        address="Riverside Walk, Mill Bridge to Harbour Bridge",
        point=(51.5079, -0.0877),
        supporters=14,
        comments=(
            (
                3,
                "Yes please! My mum can't walk the whole path without a rest.",
                ((0, "That's why I proposed it."),),
            ),
            (7, "Could some benches face the water rather than the path?", ()),
        ),
    ),
    Idea(
        title="A protected cycle lane on Station Road",
        summary="Kerb-separated lanes both ways from the station to the High Street, 900 metres.",
        description=(
            "Station Road is the direct way to the station, but parents don't let children cycle there.\n\n"
            "A lane separated from traffic by a low kerb, both ways, with priority at the two side streets. "
            "It follows the council's own cycling plan from 2024."
        ),
        euros=185_000,
        category="streets",
        author=1,
        scenes=("street",),
        address="Station Road",
        point=(51.5101, -0.0912),
        supporters=22,
        comments=(
            (
                9,
                "Where would delivery vans stop?",
                ((1, "In loading bays in the side streets, as in the plan."),),
            ),
            (12, "Great idea. I'd cycle to work if this existed.", ()),
            (15, "Please also fix the potholes near the bridge while you're at it.", ()),
        ),
    ),
    Idea(
        title="Community garden on the old car park",
        summary="Raised beds, a shed and a water tap on the unused car park behind Dock Street.",
        description=(
            "The car park has been closed for three years. Twenty raised beds, a tool shed and a tap "
            "would let neighbours grow vegetables together. The school next door would use four beds."
        ),
        euros=42_000,
        category="parks",
        author=2,
        scenes=("garden",),
        address="Dock Street car park",
        point=(51.5063, -0.0840),
        supporters=9,
        comments=((4, "I'd volunteer on Saturdays.", ()),),
    ),
    Idea(
        title="New play equipment in Hillside Park",
        summary="Replace the closed climbing frame: equipment for ages 2 to 12, with an accessible swing.",
        description=(
            "The climbing frame was fenced off last spring. Families now go to parks across town.\n\n"
            "We ask for a climbing frame, a basket swing that a wheelchair user can use, and soft surfacing."
        ),
        euros=95_000,
        category="sport",
        author=5,
        scenes=("playground",),
        address="Hillside Park",
        point=(51.5122, -0.0801),
        supporters=17,
        comments=((10, "The basket swing is brilliant, my son loves the one in Northbank.", ()),),
    ),
    Idea(
        title="Late opening at the Old Town library",
        summary="Open until 9 pm on Tuesdays and Thursdays for a year, with a quiet study room.",
        description="People who work in the day can't use the library. Two late evenings a week.",
        euros=30_000,
        category="culture",
        author=8,
        scenes=("library",),
        address="Old Town Library, Market Square",
        supporters=6,
    ),
    Idea(
        title="Drinking fountains in three parks",
        summary="Fountains with a bottle filler and a dog bowl in Hillside, Harbour and Mill parks.",
        description="Summers are hotter every year. Free water cuts plastic bottles and helps runners.",
        euros=24_000,
        category="parks",
        author=11,
        scenes=("park",),
        address="Hillside, Harbour and Mill parks",
        supporters=11,
    ),
    Idea(
        title="Street trees for Northbank",
        summary="Forty street trees in Northbank's widest streets, with three years of watering.",
        description="Northbank has the fewest trees in the city. Trees cool the streets and slow the rain.",
        euros=60_000,
        category="streets",
        author=13,
        address="Northbank",
        supporters=8,
    ),
    Idea(
        title="Repair café in the community centre",
        summary="Tools, a workbench and a year of monthly repair sessions run by volunteers.",
        description=(
            "Bring a broken lamp, bike or jacket, and fix it with a volunteer. It saves money and waste, "
            "and it's a good way to meet neighbours."
        ),
        euros=12_000,
        category="community",
        author=ROSA,
        address="Riverside Community Centre",
        supporters=4,
        comments=((5, "I can fix bikes. Count me in!", ((ROSA, "Wonderful, thank you Kwame!"),)),),
    ),
    Idea(
        title="Outdoor gym by the harbour",
        summary="Six outdoor exercise machines next to the harbour steps.",
        description="",
        euros=28_000,
        category="sport",
        author=ROSA,
        address="Harbour steps",
        status=S.DRAFT,
    ),
    Idea(
        title="New year fireworks over the river",
        summary="A ten-minute fireworks show on New Year's Eve.",
        description="A show for everyone, visible from both banks.",
        euros=20_000,
        category="culture",
        author=16,
        supporters=2,
        status=S.WITHDRAWN,
    ),
]

GREEN_FUND_2026 = [
    Idea(
        title="Wildflower verges on Ring Road",
        summary="Sow native wildflowers on 3 km of verges and mow them twice a year instead of ten times.",
        description="Bees and butterflies need flowers, and the verges are mown short all summer.",
        euros=15_000,
        category="parks",
        author=3,
        scenes=("garden",),
        address="Ring Road verges",
        point=(51.5140, -0.0950),
        supporters=19,
        status=S.ACCEPTED,
        decision="Feasible. The parks team will sow in March; the saving on mowing is counted in the cost.",
        official_euros=18_000,
    ),
    Idea(
        title="Rain gardens at Hillside School",
        summary="Planted basins that take the rain from the school roof, so the playground stops flooding.",
        description="Every heavy shower floods the playground. Rain gardens soak the water up.",
        euros=30_000,
        category="schools",
        author=5,
        scenes=("garden",),
        address="Hillside School",
        supporters=12,
        status=S.ACCEPTED,
        decision="Feasible with the school's agreement, which we have. The cost includes a drainage survey.",
        official_euros=32_000,
    ),
    Idea(
        title="Solar lights on the towpath",
        summary="Solar-powered path lights along the 1.2 km towpath, dimmed after midnight.",
        description="The towpath is dark from four o'clock in winter. Solar lights need no cables.",
        euros=38_000,
        category="streets",
        author=9,
        scenes=("river",),
        address="Canal towpath",
        supporters=15,
        status=S.ACCEPTED,
        decision="Feasible. The canal trust agrees; the lights will be shielded so as not to disturb bats.",
        official_euros=41_000,
    ),
    Idea(
        title="Trees for Harbour Square",
        summary="Twelve large trees in planters around Harbour Square, for shade.",
        description="The square is a heat trap in summer. Big planters work even above the car park.",
        euros=26_000,
        category="parks",
        author=12,
        scenes=("park",),
        address="Harbour Square",
        supporters=10,
        status=S.UNDER_REVIEW,
    ),
    Idea(
        title="Bird and bat boxes in every park",
        summary="Two hundred nest boxes, put up and checked every year by volunteers.",
        description="Cheap, quick, and a good project for schools and scouts.",
        euros=6_000,
        category="parks",
        author=14,
        address="All parks",
        supporters=5,
        status=S.UNDER_REVIEW,
    ),
    Idea(
        title="Shade trees around Harbour Square",
        summary="Plant trees in Harbour Square so there is shade in summer.",
        description="Same as the other proposal, I think: the square needs shade.",
        euros=20_000,
        category="parks",
        author=17,
        address="Harbour Square",
        status=S.MERGED,  # its supporters moved to the other one
        decision="Same place and aim as another proposal.",
        merged_into="Trees for Harbour Square",
    ),
    Idea(
        title="Artificial grass for the Northbank pitch",
        summary="Replace the muddy grass football pitch with artificial turf.",
        description="The pitch is unusable half the year.",
        euros=110_000,
        category="sport",
        author=18,
        scenes=("playground",),
        address="Northbank Recreation Ground",
        supporters=7,
        status=S.REJECTED,
        decision=(
            "Not eligible for the Green Fund: artificial turf sheds microplastics and covers living soil. "
            "We have passed the drainage problem to the sports team."
        ),
    ),
    Idea(
        title="Compost bins for the allotments",
        summary="Large compost bins for the three allotment sites, with a yearly delivery of wood chips.",
        description="Allotment holders throw away green waste they could compost.",
        euros=9_000,
        category="community",
        author=ROSA,
        address="Allotments",
        supporters=6,
        status=S.CHANGES_REQUESTED,
        decision=(
            "Please say which of the three allotment sites want bins, and whether the allotment society "
            "will manage them."
        ),
    ),
]
