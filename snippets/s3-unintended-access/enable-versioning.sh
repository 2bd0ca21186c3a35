aws s3api put-bucket-versioning --bucket <bucket> --versioning-configuration Status=Enabled
