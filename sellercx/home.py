"""Panels that feature apps add to the dashboard home, each shown only to users who may view
its area (AC-2). A panel is a template and a function giving its context, both cheap: a page
load runs each visible panel's function once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .permissions import Area


@dataclass(frozen=True)
class HomePanel:
    order: int
    area: Area
    template: str
    context: Callable[..., dict]  # (*, seller_id, marketplace_code) -> dict


_panels: list[HomePanel] = []


def register_panel(*, order: int, area: Area, template: str) -> Callable:
    def decorator(fn: Callable[..., dict]) -> Callable[..., dict]:
        _panels.append(HomePanel(order=order, area=area, template=template, context=fn))
        _panels.sort(key=lambda panel: panel.order)
        return fn

    return decorator


def panels_for(user, *, marketplace_code: str | None) -> list[dict]:
    return [
        {
            "template": panel.template,
            **panel.context(seller_id=user.seller_id, marketplace_code=marketplace_code),
        }
        for panel in _panels
        if user.can(panel.area)
    ]
