aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=CreateUser --query 'Events[].Resources[].ResourceName' --output text
