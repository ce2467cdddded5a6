/**
 * The shapes AWS Chatbot's CloudFormation resources accept for Microsoft Teams ids. CloudFormation
 * takes a Teams channel id only URL-encoded (`19%3a…%40thread.tacv2`), while Teams shows and copies
 * it decoded (`19:…@thread.tacv2`); the registry accepts either and the construct writes the encoded
 * form. Found by AWS's template validation (docs/compliance.md).
 */

/** `AWS::Chatbot::MicrosoftTeamsChannelConfiguration.TeamsChannelId`, from its resource schema. */
export const TEAMS_CHANNEL_ID_PATTERN = /^([a-zA-Z0-9-_=+/.,])*%3[aA]([a-zA-Z0-9-_=+/.,])*%40([a-zA-Z0-9-_=+/.,])*$/;

/** The Teams channel id as CloudFormation takes it: `:` and `@` URL-encoded, an encoded id unchanged. */
export function encodedTeamsChannelId(channelId: string): string {
  return channelId.replace(/:/g, '%3a').replace(/@/g, '%40');
}

/** What is wrong with a Teams channel id, or undefined when CloudFormation will take it (after encoding). */
export function teamsChannelIdProblem(channelId: string): string | undefined {
  if (TEAMS_CHANNEL_ID_PATTERN.test(encodedTeamsChannelId(channelId))) return undefined;
  return 'a Microsoft Teams channel id like 19:0123abcd@thread.tacv2 (as Teams copies it) or 19%3a0123abcd%40thread.tacv2 (URL-encoded)';
}
