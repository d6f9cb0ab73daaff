"""Words: translations and number formats (i18n), the names people read for codes (labels), and text from
the data made safe where it could turn into markup or a path (safe_text). No Streamlit, no data access."""
