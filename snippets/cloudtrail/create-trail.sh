aws cloudtrail create-trail --name Trail1 --s3-bucket-name my-bucket --is-multi-region-trail
