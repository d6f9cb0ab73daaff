"""ETL: university HR and student-registry exports to a pseudonymised Parquet warehouse.

`python -m etl build RAW --out WAREHOUSE` (cli) runs the build (build), kind by kind, through stages that
each take the relation the one before made and name the one they make:

    sources      files of each kind (schema.kind_of), read to text records with file and line
    records      raw -> typed -> clean: each value parsed (values, countries), the kind's checks run
    duplicates   clean -> kept: the kind's duplicate rule
    output       kept -> the kind's warehouse table: pseudonyms (pseudonyms), contract columns, value order
    warehouse    Parquet files, the manifest, the atomic swap of the published build
    aggregates   the count tables the dashboard reads, each person counted under every definition of
                 international (definitions); staff followed across years for retention and careers
    serving      the dashboard's tables made from the aggregates, in a DuckDB file it opens without loading

What each export kind needs (columns, checks, duplicate rule, warehouse columns) is in one place: schema.
Problems are collected (problems) and reported by file, line and column; nothing is published unless the
whole build succeeds; rejects.csv is written with spreadsheet formulas neutralised (formulas). Paths, the
home country and the disclosure rule come from config.toml and the environment (config). `python -m etl
demo` writes the synthetic demo exports (demo).
"""

__version__ = "0.5.0"
