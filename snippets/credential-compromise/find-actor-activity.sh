aws cloudtrail lookup-events --lookup-attributes AttributeKey=AccessKeyId,AttributeValue=<access-key-id> --query 'Events[].[EventName,Username]' --output text
