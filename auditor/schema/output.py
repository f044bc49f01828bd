"""Base of every analysis output model: frozen and strict, so results cannot drift after the fact."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Output(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
