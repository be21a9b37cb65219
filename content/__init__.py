"""The curated content base: region packs under content/data/<region>/."""
