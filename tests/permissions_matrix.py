"""AC-2: the permission matrix, area × level × surface. Each feature app appends its rows.

A row names an area and, for each surface, a URL that reads it and (optionally) a request that
changes it. The generic test in ``tests/core/test_permission_matrix.py`` checks every row:
None → the menu entry is hidden, the page answers 403 and the API 403; View → reading works and
changing is refused with 403; View and edit → both work (or at least are not refused for
permission: the change may still be refused as bad input).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sellercx.permissions import Area


@dataclass(frozen=True)
class MatrixRow:
    area: Area
    page: str  # dashboard URL path that reads the area
    api: str | None = None  # API path that reads the area
    page_change: tuple[str, dict] | None = None  # (path, form data) that changes it
    api_change: tuple[str, str, dict] | None = field(default=None)  # (method, path, json)


MATRIX: list[MatrixRow] = [
    MatrixRow(area=Area.MESSAGES, page="/dashboard/messages/", api="/api/v1/conversations"),
    MatrixRow(area=Area.REVIEWS, page="/dashboard/reviews/", api="/api/v1/reviews"),
    MatrixRow(
        area=Area.FEEDBACK,
        page="/dashboard/feedback/",
        api="/api/v1/feedback",
        page_change=(
            "/dashboard/feedback/requests/",
            {"purchased_from": "2026-01-01", "purchased_to": "2026-01-31"},
        ),
        api_change=(
            "post",
            "/api/v1/solicitations/bulk",
            {"purchasedFrom": "2026-01-01", "purchasedTo": "2026-01-31"},
        ),
    ),
    MatrixRow(
        area=Area.USERS,
        page="/dashboard/users/",
        api="/api/v1/users",
        page_change=(
            "/dashboard/users/",
            {"email": "new@seller.example", "name": "New", "password": "a-long-pass-123"},
        ),
        # A user may not change themself here: the change targets the first user of the
        # account, which the test makes before the member (see the generic test).
        api_change=("patch", "/api/v1/users/{admin}/permissions", {"feedback": 1}),
    ),
    MatrixRow(
        area=Area.PERFORMANCE, page="/dashboard/performance/", api="/api/v1/metrics/snapshots"
    ),
    MatrixRow(
        area=Area.VOC,
        page="/dashboard/voc/",
        api="/api/v1/voc/offers",
        # No such offer: refused for permission first (403), else 404.
        page_change=("/dashboard/voc/offers/999999/", {"action": "relist"}),
        api_change=("post", "/api/v1/voc/offers/999999/relist", {"price": "1", "note": "x"}),
    ),
]
