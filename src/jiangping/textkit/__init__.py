"""Text normalisation for speeches and documents (文本处理): see docs/textkit.md."""
