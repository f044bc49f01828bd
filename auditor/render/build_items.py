"""What the backtracking says to build, as a sentence a consultant can read out.

The backtracking's own ``summary`` keeps ids (it is the trace, and the JSON's); a person
reads names: "Dynamics 365 → Zendesk Suite: back-ordered part status, daily".
"""

from __future__ import annotations

from auditor.graph.names import common_noun, join_words
from auditor.render.report.names import Names
from auditor.schema.backtrack import BuildItem, latency_name


def build_sentence(item: BuildItem, names: Names) -> str:
    """One line: what to build, between which systems, carrying what, how fast."""
    # Data, capabilities and skills are common nouns inside a sentence ("email address").
    data = join_words([common_noun(n) for n in names.many(tuple(sorted(item.data)))])
    system, source = names(item.system), names(item.source)
    speed = latency_name(item.latency)
    if item.kind == "new-capability":
        return f"a system that provides {common_noun(names(item.target))}"
    if item.kind == "new-master":
        if item.source and item.system:
            return f"master {data} in {system} instead of {source}"
        if item.system:
            return f"master {data} in {system} (nothing masters it today)"
        return f"decide which system masters {data}"
    if item.kind == "new-flow":
        return f"{source} → {system}: {data}, {speed}"
    # A flow the audit names is called by its name; otherwise by its two ends.
    flow = f"the flow '{names(item.target)}'" if item.target in names.by_id else "the flow"
    if item.kind == "extend-flow":
        return f"add {data} to {flow} {source} → {system}"
    if item.kind == "faster-flow":
        return f"speed up {flow} {source} → {system} to {speed}"
    if item.kind == "new-touchpoint":
        return f"a touchpoint on {names(item.channel)} run by {system} or a system it feeds"
    skills = join_words([common_noun(n) for n in names.many(tuple(sorted(item.skills)))])
    return f"{skills} for the owners of {system}"
