"""The explaining layer: codes as typed, whole replies, matching, analysis, compare, search, listing."""
