aws s3api delete-bucket-policy --bucket <bucket>
