"""Voting: eligibility, ballots, receipts, census lists, voter codes and paper ballots."""
