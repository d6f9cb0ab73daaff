"""ETL: university HR and student-registry exports to a pseudonymised Parquet warehouse."""

__version__ = "0.2.0"
