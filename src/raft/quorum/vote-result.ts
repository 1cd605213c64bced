// The outcome of counting votes in a configuration.
export type VoteResult = 'pending' | 'lost' | 'won';
