"""streamlake Glue ETL: `lib` (pure PySpark), `jobs` (Glue entry points), `tests` (local Spark)."""
