aws s3api get-bucket-policy --bucket <bucket> --query Policy --output text
