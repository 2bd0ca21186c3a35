aws cloudtrail start-logging --name Trail1
