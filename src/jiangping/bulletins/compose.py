"""Composing the month's bulletin (通报生成) from the registered sections.

Interface (built in this module): ``compose(context, *, number, date, issuer, edits=None)
-> Bulletin`` calls every :func:`jiangping.core.registry.bulletin_sections` provider in
order, keeps the drafts, numbers the sections, and closes with the problems (存在问题,
一是…二是…) and next steps (下步工作, 一是要…二是要…) gathered from the drafts — or, when
``edits`` gives ``{"problems": [...], "actions": [...]}``, the office's own paragraphs.
"""
