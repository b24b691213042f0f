"""The review page: every doubtful cell of a dataset beside a crop of its page, for a person to confirm
or correct; the corrections it downloads are applied by ``govreports build --corrections``."""
from govreports.review.page import ReviewResult, write_review

__all__ = ["write_review", "ReviewResult"]
