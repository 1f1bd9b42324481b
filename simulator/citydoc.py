"""A City back into its lifeline-city/1 document: the function lives in backend_client.city, next
to city_from_dict, so a recording can keep the city too; the simulator imports it from here."""

from __future__ import annotations

from backend_client.city import city_to_dict

__all__ = ["city_to_dict"]
