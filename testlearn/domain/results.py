"""Whether a stored analysis still stands for the current inputs."""

from __future__ import annotations

import uuid

from testlearn.domain.views import AnalysisResultView, HypothesisView


def stale_reason(
    result: AnalysisResultView, hypothesis: HypothesisView, dataset_id: uuid.UUID | None
) -> str | None:
    """Why a stored result no longer stands for its hypothesis and data, or None if it does."""
    if result.hypothesis_rev != hypothesis.rev:
        return "the registered hypothesis changed (a deviation) after this analysis"
    if dataset_id is None:
        return "the outcome data behind this analysis were removed"
    if result.dataset_id != dataset_id:
        return "new outcome data were imported after this analysis"
    return None
