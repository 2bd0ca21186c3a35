aws cloudtrail lookup-events --lookup-attributes AttributeKey=Username,AttributeValue=root
