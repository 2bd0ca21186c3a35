"""Training: exercises for the Skills, investigations of incidents, and the record a lead verifies.

The engine the suite, the `handbook` command and the page all call: an exercise's or an
investigation's YAML -> prepare the account -> run the trainee's commands -> evaluate the check
or compare the answer -> the record -> `handbook qualify verify` replays it through the same engine.
"""
