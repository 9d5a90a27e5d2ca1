"""政府网站与政务新媒体检查: page reading, word lists and scoring by the indicators (pure).

- :mod:`.pages` — what a page says: links, meta tags (``PubDate``, ``SiteIDCode``), dated items;
- :mod:`.words` — the maintained list of 错别字 and 严重表述错误;
- :mod:`.indicators` — the indicators of a year as data, and the scoring of one site's
  observations against them (single vetoes, deductions, "could not check").
"""
