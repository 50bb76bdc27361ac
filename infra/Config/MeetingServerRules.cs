namespace PortsipInfra;

/// <summary>
/// A meeting server's <c>maxRooms</c> and <c>maxParticipants</c>, the REST API's <c>max_rooms</c> and
/// <c>max_participants</c> of a conference server: whole numbers, 0 or more (the API's minimum), required by the API
/// when a server is created (it gives no default), so the program sends its own, 100 and 1000, when none is set.
/// No upper limit: the API sets none and the guides give no figure for meeting servers.
/// </summary>
public static class MeetingServerRules
{
    public const int DefaultMaxRooms = 100;
    public const int DefaultMaxParticipants = 1000;

    public static (int MaxRooms, int MaxParticipants) Check(string key, ServerConfig entry, Action<string, string> error)
    {
        var rooms = entry.MaxRooms ?? DefaultMaxRooms;
        if (rooms < 0)
        {
            error(key + ".maxRooms", $"{rooms} is not {ConfigKeys.Ranges.MaxRooms}");
        }
        var participants = entry.MaxParticipants ?? DefaultMaxParticipants;
        if (participants < 0)
        {
            error(key + ".maxParticipants", $"{participants} is not {ConfigKeys.Ranges.MaxParticipants}");
        }
        return (rooms, participants);
    }
}
