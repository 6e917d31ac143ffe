"""publish: the Datasette side of kaifang (plugin, zh-TW templates, catalog, DCAT)."""
