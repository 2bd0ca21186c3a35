aws guardduty create-ip-set \
    --detector-id 12abc34d567e8fa901bc2d34eexample \
    --name new-ip-set \
    --format TXT \
    --location s3://AWSDOC-EXAMPLE-BUCKET/customtrustlist.csv \
    --activate
