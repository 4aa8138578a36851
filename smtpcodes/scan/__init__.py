"""The scanning layer: inputs, log formats, records and summaries."""
