aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventSource,AttributeValue=s3.amazonaws.com --query 'Events[].[EventName,Username,AccessKeyId]' --output text
