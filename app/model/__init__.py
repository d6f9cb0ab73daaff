"""The model: the warehouse's aggregate tables (data), the shared filters (filters), the definitions of
international a reader may choose (definitions), the disclosure rules (disclosure), world regions (regions),
who may sign in (access), and every figure the dashboard shows, defined once: for staff and students
(metrics), the definitions compared (reconciliation), for exchanges and partners (mobility); and for the
strategy page: the university's targets and their pace (strategy), the diversity of origins (diversity), staff
careers and retention (careers). Every count leaves protected. No Streamlit."""
