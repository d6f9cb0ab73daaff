"""Files made from charts for reports and slides: PNG and SVG, CSV and Excel, PowerPoint decks and report
packs, each saying what it shows, where from, and under which rule (exports). No Streamlit."""
