"""Presentation: each chart with its figure, title and summary, for staff and students (views), for
exchanges (mobility_views) and for the strategy page (strategy_views); the Plotly figures (charts) in one look (theme); the summary sentences
(summaries); the methodology texts (methodology); and each page's specification (pages). No Streamlit."""
