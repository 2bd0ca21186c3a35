aws cloudtrail start-logging --name <trail-name>
