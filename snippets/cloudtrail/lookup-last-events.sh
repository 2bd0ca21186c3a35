aws cloudtrail lookup-events --max-results <integer>
