# The figures tests' programme with hand-computed ground truth.
from tests.reporting.figures_ground_truth import ground_truth  # noqa: F401
