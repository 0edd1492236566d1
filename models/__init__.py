"""Per-language resources (data files, no code): models/<lang>/*.tsv|txt.

Read them through `pipeline.resources`.
"""
