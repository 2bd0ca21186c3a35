aws s3api put-bucket-acl --bucket <bucket> --acl private
