"""Domain exceptions of voting. Messages are safe to show; `field` names the form field they belong to,
`reason` tells a page which way out to offer (sign in, confirm e-mail, set district…)."""


class VotingError(Exception):
    def __init__(self, message, field: str | None = None, reason: str = ""):
        super().__init__(message)
        self.field = field
        self.reason = reason


class NotEligible(VotingError):
    """This person may not vote here (or not this way)."""


class VotingClosed(VotingError):
    """Voting is not open: not yet, or any more."""


class BallotRejected(VotingError):
    """The choices break the ballot's rules; `problems` holds every rule problem (rules.Problem)."""

    def __init__(self, message, problems=(), field: str | None = "projects"):
        super().__init__(message, field)
        self.problems = list(problems)
