"""``hz.pricing``: what every kind of resource costs in the project's currency."""

from __future__ import annotations

from ..models import Pricing as PricingModel
from ._base import ResourceGroup

__all__ = ["Pricing"]


class Pricing(ResourceGroup):
    """Prices (https://docs.hetzner.cloud/reference/cloud#pricing)."""

    async def get(self) -> PricingModel:
        """Return the current prices of every resource type, by location."""
        data = await self._call("GET", "/pricing")
        return self._structure(data["pricing"], PricingModel)
