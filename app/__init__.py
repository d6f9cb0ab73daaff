"""The dashboard's logic without Streamlit: data access, filters, metrics, charts, texts.

Pages and `app.ui` are the only places that import Streamlit.
"""
