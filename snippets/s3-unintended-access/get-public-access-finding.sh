aws guardduty get-findings --detector-id <detector-id> --finding-ids <finding-id> --query 'Findings[].[Type,Resource.AccessKeyDetails.AccessKeyId,Service.EventFirstSeen]' --output text
