"""Waqai: Markdown + YAML incident entries in, a bilingual chronology site out."""
