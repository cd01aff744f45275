"""The demo vote's ballot projects, district by district: what each is, its category (which picks its
illustration in app/demo/voting_images.py) and its cost (app/demo/voting.py loads them)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoProject:
    title: str
    category: str
    euros: int
    summary: str


PROJECTS = {
    "old-town": [
        DemoProject(
            "Shade trees on Market Square",
            "parks",
            48_000,
            "Twelve lime trees and benches around the square, for shade in summer.",
        ),
        DemoProject(
            "Safe crossing at St Mary's School",
            "streets",
            36_000,
            "A raised zebra crossing and flashing lights at the school gate.",
        ),
        DemoProject(
            "Repair the old bandstand",
            "culture",
            85_000,
            "A new roof and lights, so that the bandstand hosts free concerts again.",
        ),
        DemoProject(
            "Covered bike parking at the station",
            "streets",
            27_000,
            "Forty sheltered, lockable bike stands next to Old Town station.",
        ),
        DemoProject(
            "Community fridge and kitchen",
            "community",
            22_000,
            "A shared fridge and a small kitchen at the parish hall, against food waste.",
        ),
        DemoProject(
            "Outdoor gym by the river",
            "sport",
            54_000,
            "Eight outdoor fitness machines on the riverside walk, free for everyone.",
        ),
        DemoProject(
            "Library reading garden",
            "culture",
            41_000,
            "Turn the yard behind the library into a quiet garden with seats and shade.",
        ),
    ],
    "northbank": [
        DemoProject(
            "Toddlers' playground in Alder Park",
            "sport",
            58_000,
            "Soft ground, a sandpit, low slides and a fence, for children under five.",
        ),
        DemoProject(
            "Wildflower meadow on the embankment",
            "parks",
            19_000,
            "Sow native wildflowers on the bare embankment, for bees and butterflies.",
        ),
        DemoProject(
            "Protected cycle lane on Bridge Road",
            "streets",
            95_000,
            "A kerb-protected cycle lane from the bridge to the health centre.",
        ),
        DemoProject(
            "Homework club at the youth centre",
            "schools",
            24_000,
            "Tutors, laptops and a quiet room three afternoons a week for a year.",
        ),
        DemoProject(
            "Benches and a drinking fountain on the towpath",
            "parks",
            16_000,
            "Six benches and a fountain along the busiest stretch of the towpath.",
        ),
        DemoProject(
            "Open-air cinema nights",
            "culture",
            12_000,
            "Six free film nights in Alder Park next summer, with a big screen.",
        ),
    ],
    "harbour": [
        DemoProject(
            "Lighting for the harbour promenade",
            "streets",
            62_000,
            "Warm, low-glare lamps along the promenade, so it feels safe after dark.",
        ),
        DemoProject(
            "Rowing boats for the youth sailing club",
            "sport",
            38_000,
            "Four rowing boats and life jackets, for free lessons for teenagers.",
        ),
        DemoProject(
            "Fishermen's history trail",
            "culture",
            21_000,
            "Ten signs with old photographs and stories along the quays.",
        ),
        DemoProject(
            "Green roof on the ferry shelter",
            "parks",
            44_000,
            "A planted roof on the ferry terminal shelter that cools it and soaks up rain.",
        ),
        DemoProject(
            "Warm space for older neighbours",
            "community",
            29_000,
            "A heated, friendly room with tea and company every winter weekday.",
        ),
        DemoProject(
            "Resurface the basketball court",
            "sport",
            33_000,
            "A new surface, hoops and lines for the court behind the harbour school.",
        ),
    ],
    "hillside": [
        DemoProject(
            "Steps and handrail to Hillside Park",
            "streets",
            47_000,
            "Safe steps with a handrail on the steep path from Hill Street to the park.",
        ),
        DemoProject(
            "Community orchard",
            "parks",
            18_000,
            "Thirty fruit trees on the green, looked after by neighbours, fruit for all.",
        ),
        DemoProject(
            "School garden and greenhouse",
            "schools",
            26_000,
            "Raised beds and a small greenhouse, so pupils grow their own vegetables.",
        ),
        DemoProject(
            "Minibus for the day centre",
            "community",
            52_000,
            "A wheelchair-accessible minibus for outings from the day centre.",
        ),
        DemoProject(
            "Skate spot under the viaduct",
            "sport",
            39_000,
            "Concrete ramps and rails in the dry space under the railway viaduct.",
        ),
    ],
}
