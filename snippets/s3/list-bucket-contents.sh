aws s3 ls s3://<bucket>
