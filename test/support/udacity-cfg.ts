/** A Redshift dwh.cfg shaped like the Udacity project's (the host does not exist). */
export function udacityCfg(password = 'Passw0rd#;1'): string {
  return `[CLUSTER]
HOST='dwhcluster.c1abcdefgh.us-west-2.redshift.amazonaws.com'
DB_NAME='dwh'
DB_USER='dwhuser'
DB_PASSWORD='${password}'
DB_PORT='5439'

[IAM_ROLE]
ARN='arn:aws:iam::123456789012:role/dwhRole'

[S3]
LOG_DATA='s3://udacity-dend/log_data'
LOG_JSONPATH='s3://udacity-dend/log_json_path.json'
SONG_DATA='s3://udacity-dend/song_data'
`;
}
