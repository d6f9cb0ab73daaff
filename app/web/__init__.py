"""The Streamlit app's shared parts, the only Streamlit code besides the page scripts: what every page starts
with (frame), sign-in (signin), the sidebar (sidebar), drawing a page from its specification (layout), page
widgets and download buttons (widgets), and the server launcher (serve)."""
