namespace IdentityServer.Configuration;

internal static class RateLimitValidation
{
    public static void Validate(RateLimitOptions limits, List<string> errors)
    {
        const string S = ServerOptions.Section + ":RateLimits";
        Positive(limits.SignInsPerMinutePerAddress, $"{S}:SignInsPerMinutePerAddress", errors);
        Positive(limits.AccountPostsPerMinutePerAddress, $"{S}:AccountPostsPerMinutePerAddress", errors);
        Positive(limits.FailedSignInsPerMinutePerAccount, $"{S}:FailedSignInsPerMinutePerAccount", errors);
        Positive(limits.FailedSignInsPerMinutePerAddress, $"{S}:FailedSignInsPerMinutePerAddress", errors);
        Positive(limits.FailedClientAuthenticationsPerMinutePerClient, $"{S}:FailedClientAuthenticationsPerMinutePerClient", errors);
        Positive(limits.FailedClientAuthenticationsPerMinutePerAddress, $"{S}:FailedClientAuthenticationsPerMinutePerAddress", errors);
        Positive(limits.TokenRequestsPerSecondPerClient, $"{S}:TokenRequestsPerSecondPerClient", errors);
        if (limits.LongestBlock < TimeSpan.FromMinutes(1) || limits.LongestBlock > TimeSpan.FromDays(1))
        {
            errors.Add($"{S}:LongestBlock: '{limits.LongestBlock}' must be between 00:01:00 and 1.00:00:00 (the first block lasts a minute).");
        }
    }

    private static void Positive(int value, string key, List<string> errors)
    {
        if (value < 1)
        {
            errors.Add($"{key}: '{value}' must be at least 1 (set {ServerOptions.Section}:RateLimits:Enabled to false to turn the limits off).");
        }
    }
}
