"""Pure PySpark DataFrame functions for the streamlake Glue jobs. Nothing here imports `awsglue`."""
