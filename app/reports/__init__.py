"""Files made from charts for reports and slides, each saying what it shows, where from, and under which rule:
PNG and SVG, CSV and Excel of one chart (exports); PowerPoint decks (slides); PDF reports (document); report
packs made step by step (packs); images drawn side by side in the machine's Chromium (renderer). No Streamlit."""
