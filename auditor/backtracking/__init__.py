"""Backtracking (DOMAIN.md §5, seed 004): from what a segment needs back to the data flows.

For every need of every segment and every capability the need requires, the walk goes
need → capability → providing system → required data → flow path → master system and marks
each link ok, partial or missing. Providers are compared and the one leaving the fewest open
links is chosen (ties: a system of record or CDP, then the smaller id). The open links are
collected into a deduplicated to-build list.

Cost stays linear in the ecosystem: per required datum, one layered breadth-first search per
latency rank (five at most) from all of its masters at once, plus one per master for partial
coverage; per channel, one reverse search from every system serving it. Results are cached
per datum, per channel and per (capability, latency limit, channel), so fifty segments with
many needs cost little more than one.
"""

from auditor.backtracking.walk import backtrack, check_segment, compare, trace

__all__ = ["backtrack", "check_segment", "compare", "trace"]
