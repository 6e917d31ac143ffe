"""De-identification for kaifang: nothing personal reaches the open data.

- ``tw_ids``: checksum validators for Taiwanese national IDs, resident numbers and UBNs.
- ``gazetteer``: Taiwan's 22 counties and 368 districts (shipped as data).
- ``lexicon``: surnames, honorifics, role and context words (Traditional and Simplified).
- ``dates``: ISO and ROC (民國) date parsing shared by detectors and column rules.
- ``detectors``: ``detect(text)`` finds typed personal values in free text.
- ``scrub``: ``scrub(text)`` replaces them with typed placeholders such as 〔姓名〕.
- ``rules``: per-column rules of dataset definitions (keep, drop, pseudonym, generalize, band,
  mask, scrub).
- ``kanon``: k-anonymity over quasi-identifiers and small-cell suppression.
- ``leak_gate``: scans a database about to be published for anything personal.
- ``cli``: the ``kaifang deid`` command.
"""
