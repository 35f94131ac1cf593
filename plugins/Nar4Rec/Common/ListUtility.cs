using Rerank.Abstractions;

namespace Rerank.Plugins.Nar4Rec;

/// <summary>The utility R(u, Y) of a logged list (§3.1): a weighted sum of its interactions, clicks and conversions.</summary>
internal static class ListUtility
{
    public static double Of(LoggedList list, double clickWeight, double conversionWeight)
    {
        var r = 0.0;
        for (var t = 0; t < list.Exposed.Length; t++)
        {
            r += (clickWeight * list.Clicks[t]) + (conversionWeight * list.Conversions[t]);
        }

        return r;
    }
}
